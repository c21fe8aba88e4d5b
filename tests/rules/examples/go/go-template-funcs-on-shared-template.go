package template

func (e *Engine) Render(name string, data map[string]any) []byte {
	tpl, ok := e.templates[name]
	if !ok {
		panic("no template " + name)
	}
	printer := locale.NewPrinter(data["language"].(string))
	// Another request's printer can replace this one before ExecuteTemplate runs.
	// ruleid: go-template-funcs-on-shared-template
	tpl.Funcs(template.FuncMap{"t": printer.Printf})
	var b bytes.Buffer
	if err := tpl.ExecuteTemplate(&b, "base", data); err != nil {
		panic(err)
	}
	return b.Bytes()
}

func (e *Engine) RenderCloned(name string, data map[string]any) []byte {
	tpl, ok := e.templates[name]
	if !ok {
		panic("no template " + name)
	}
	tpl = template.Must(tpl.Clone())
	printer := locale.NewPrinter(data["language"].(string))
	// A private copy per call.
	// ok: go-template-funcs-on-shared-template
	tpl.Funcs(template.FuncMap{"t": printer.Printf})
	var b bytes.Buffer
	_ = tpl.ExecuteTemplate(&b, "base", data)
	return b.Bytes()
}

func parseAll(files []string) *template.Template {
	tpl := template.New("base")
	// Before parsing, on a template this function made: what Funcs is for.
	// ok: go-template-funcs-on-shared-template
	tpl.Funcs(funcMap)
	return template.Must(tpl.ParseFiles(files...))
}
