package server

func start() {
	// ruleid: go-debug-enabled
	gin.SetMode(gin.DebugMode)
}

// A build-time mode switch: debug is only what the dev mode selects.
func applyMode(mode string) {
	switch mode {
	case "dev":
		// ok: go-debug-enabled
		gin.SetMode(gin.DebugMode)
	case "prod":
		gin.SetMode(gin.ReleaseMode)
	}
}
