package api

import (
	"crypto/md5"
	"crypto/sha1"
	"encoding/hex"
)

func sign(payload, secret string) string {
	// ruleid: go-weak-hash-for-secret
	signature := md5.Sum([]byte(payload + secret))
	return hex.EncodeToString(signature[:])
}

func storeToken(t *Token, token string) {
	// ruleid: go-weak-hash-for-secret
	t.Digest = sha1.Sum([]byte(token))
}

func checksum(data []byte) [16]byte {
	// ok: go-weak-hash-for-secret
	return md5.Sum(data)
}
