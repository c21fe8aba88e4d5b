package session

import (
	"fmt"
	"math/rand"
	"time"
)

func newSession(store Store, userID int64) string {
	// ruleid: go-insecure-random-session-token
	sessionID := fmt.Sprintf("%016x", rand.Int63())
	store.Put(sessionID, userID)
	return sessionID
}

func resetLink(u *User) {
	// ruleid: go-insecure-random-session-token
	u.ResetToken = fmt.Sprint(rand.Uint64())
}

func backoff(attempt int) time.Duration {
	// ok: go-insecure-random-session-token
	return time.Duration(attempt)*time.Second + time.Duration(rand.Intn(1000))*time.Millisecond
}

func sampleSessions(all []Session) Session {
	// ok: go-insecure-random-session-token
	return all[rand.Intn(len(all))]
}
