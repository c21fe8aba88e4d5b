package example

var sharedClient = &http.Client{
	Timeout: 10 * time.Second,
	// Built once, at package level.
	// ok: go-http-transport-per-call
	Transport: &http.Transport{MaxIdleConnsPerHost: 16},
}

func fetchAvatar(ctx context.Context, url string) ([]byte, error) {
	client := &http.Client{
		Timeout: 5 * time.Second,
		// ruleid: go-http-transport-per-call
		Transport: &http.Transport{TLSHandshakeTimeout: 5 * time.Second},
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	return io.ReadAll(io.LimitReader(resp.Body, 1<<20))
}

func (h *Handler) proxy(w http.ResponseWriter, r *http.Request) {
	// ruleid: go-http-transport-per-call
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.Proxy = http.ProxyURL(h.upstream)
	p := httputil.NewSingleHostReverseProxy(h.target)
	p.Transport = t
	p.ServeHTTP(w, r)
}

func NewClient(opts Options) *http.Client {
	// A constructor: built once by its caller and kept.
	// ok: go-http-transport-per-call
	transport := &http.Transport{Proxy: http.ProxyFromEnvironment}
	return &http.Client{Timeout: opts.Timeout, Transport: transport}
}

func (r *requestBuilder) execute(req *http.Request) (*http.Response, error) {
	// Per-call settings, with idle connections closed after 10s: bounded.
	// ok: go-http-transport-per-call
	transport := &http.Transport{Proxy: http.ProxyFromEnvironment, IdleConnTimeout: 10 * time.Second}
	client := &http.Client{Timeout: r.timeout, Transport: transport}
	return client.Do(req)
}
