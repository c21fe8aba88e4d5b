package notify

func SendAll(hooks []string, body []byte) error {
	for _, url := range hooks {
		resp, err := client.Post(url, "application/json", bytes.NewReader(body))
		if err != nil {
			return err
		}
		// Every response body stays open until SendAll returns.
		// ruleid: go-defer-in-loop
		defer resp.Body.Close()
		if resp.StatusCode >= 400 {
			return fmt.Errorf("hook %s: status %d", url, resp.StatusCode)
		}
	}
	return nil
}

func FirstHealthy(urls []string) (*http.Response, error) {
	for i := 0; i < len(urls); i++ {
		resp, err := client.Get(urls[i])
		if err != nil {
			continue
		}
		// The iteration that defers also returns: one body, closed when the caller is done.
		// ok: go-defer-in-loop
		defer resp.Body.Close()
		return read(resp)
	}
	return nil, errNone
}

func Each(paths []string) {
	for _, p := range paths {
		func() {
			f, _ := os.Open(p)
			// The defer runs at the end of the function literal, once per item.
			// ok: go-defer-in-loop
			defer f.Close()
			scan(f)
		}()
	}
}

func Serve(stop chan struct{}) {
	for {
		select {
		case <-stop:
			// ok: go-defer-in-loop
			defer conn.Close()
			drain()
		}
	}
}
