package example

func (c *Client) fetch(req *http.Request) (*Result, error) {
	// The body is wrapped in a reader that cannot be closed, and the early return leaks it too.
	// ruleid: go-response-body-not-closed
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, err
	}
	if resp.ContentLength > maxBodySize {
		return nil, errTooLarge
	}
	return &Result{Body: resp.Body, Status: resp.StatusCode}, nil
}

func ping(url string) (int, error) {
	// ruleid: go-response-body-not-closed
	resp, err := http.Get(url)
	if err != nil {
		return 0, err
	}
	return resp.StatusCode, nil
}

func decode(ctx context.Context, client *http.Client, req *http.Request, out any) error {
	// ok: go-response-body-not-closed
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	return json.NewDecoder(resp.Body).Decode(out)
}

func stream(client *http.Client, req *http.Request) (*http.Response, error) {
	// The caller gets the response and owns its body.
	// ok: go-response-body-not-closed
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	return resp, nil
}

func check(client *http.Client, req *http.Request) error {
	// A helper closes it.
	// ok: go-response-body-not-closed
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer closeBody(resp)
	return statusError(resp.StatusCode)
}

func handOn(client *http.Client, req *http.Request) error {
	// ok: go-response-body-not-closed
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	return handle(resp)
}

func lookup(cache *Cache, key string) string {
	// Not an HTTP call.
	// ok: go-response-body-not-closed
	v, ok := cache.Get(key)
	if !ok {
		return ""
	}
	return v
}
