package api

import (
	"crypto/md5"
	"crypto/sha1"
	"encoding/hex"
)

func sign(payload, secret string) string {
	// ruleid: go-weak-hash-signature
	signature := md5.Sum([]byte(secret + payload))
	return hex.EncodeToString(signature[:])
}

func storeToken(t *Token, token string) {
	// A digest of a long random token: SHA-1's preimage resistance still holds.
	// ok: go-weak-hash-signature
	t.Digest = sha1.Sum([]byte(token))
}

func checksum(data []byte) [16]byte {
	// ok: go-weak-hash-signature
	return md5.Sum(data)
}
