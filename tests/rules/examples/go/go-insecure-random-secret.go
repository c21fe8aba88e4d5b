package otp

import (
	"fmt"
	"math/rand"
)

func sendCode(u *User) {
	// ruleid: go-insecure-random-secret
	verifyCode := fmt.Sprintf("%06d", rand.Intn(1000000))
	sms.Send(u.Phone, verifyCode)
}

func newNonce() []byte {
	nonce := make([]byte, 16)
	// ruleid: go-insecure-random-secret
	rand.Read(nonce)
	return nonce
}

func jitter() int {
	// ok: go-insecure-random-secret
	delay := rand.Intn(100)
	return delay
}

func pick(colors []string) string {
	// ok: go-insecure-random-secret
	return colors[rand.Intn(len(colors))]
}
