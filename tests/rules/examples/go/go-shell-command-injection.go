package ops

import (
	"net/http"
	"os/exec"
)

func Ping(w http.ResponseWriter, r *http.Request) {
	host := r.URL.Query().Get("host")
	// ruleid: go-shell-command-injection
	out, _ := exec.Command("sh", "-c", "ping -c 3 "+host).Output()
	// ok: go-shell-command-injection
	out2, _ := exec.Command("ping", "-c", "3", "--", "example.com").Output()
	w.Write(append(out, out2...))
}
