package example

import (
	"io"
	"net/http"
	"os"
)

// The URL comes from whoever the caller names (a webhook's target, a remote actor's inbox).
func deliver(url string) ([]byte, error) {
	resp, err := http.Get(url)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	// ruleid: go-read-all-unbounded
	return io.ReadAll(resp.Body)
}

// A host the code fixed: the version service's answer is a few bytes.
func latestVersion() ([]byte, error) {
	resp, err := http.Get("https://version.example.org")
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	// ok: go-read-all-unbounded
	return io.ReadAll(resp.Body)
}

// A host the operator configured.
func verifyReceipt(receipt string) ([]byte, error) {
	req, err := http.NewRequest("POST", os.Getenv("RECEIPTS_HOST")+"/receipts", nil)
	if err != nil {
		return nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	// ok: go-read-all-unbounded
	return io.ReadAll(resp.Body)
}

// A relative path that starts with a literal but names no host: still the caller's URL.
func fetchPath(base, path string) ([]byte, error) {
	resp, err := http.Get(base + "/api/" + path)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	// ruleid: go-read-all-unbounded
	return io.ReadAll(resp.Body)
}

// The scheme is fixed but the host is the user's.
func webfinger(domain, handle string) ([]byte, error) {
	resp, err := http.Get("https://" + domain + "/.well-known/webfinger?resource=acct:" + handle)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	// ruleid: go-read-all-unbounded
	return io.ReadAll(resp.Body)
}
