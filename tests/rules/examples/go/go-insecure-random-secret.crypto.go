package otp

import (
	"crypto/rand"
)

func newNonce() []byte {
	nonce := make([]byte, 16)
	// crypto/rand: the secure generator.
	// ok: go-insecure-random-secret
	rand.Read(nonce)
	return nonce
}
