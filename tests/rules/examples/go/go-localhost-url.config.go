// prodready-path: internal/config/options.go
package config

func defaults() map[string]string {
	// The defaults table the environment overrides.
	// ok: go-localhost-url
	return map[string]string{"BASE_URL": "http://localhost", "LISTEN_ADDR": "127.0.0.1:8080"}
}
