package auth

import (
	"crypto/md5"
	"crypto/sha1"
	"encoding/hex"
	"io"
)

func HashPassword(password string) string {
	// ruleid: go-weak-password-hash
	sum := md5.Sum([]byte(password))
	return hex.EncodeToString(sum[:])
}

func store(u *User, pw string) {
	// ruleid: go-weak-password-hash
	h := sha1.New()
	io.WriteString(h, pw+u.Salt)
	u.PasswordHash = hex.EncodeToString(h.Sum(nil))
}

func etag(body []byte) string {
	// ok: go-weak-password-hash
	sum := md5.Sum(body)
	return hex.EncodeToString(sum[:])
}

func gravatar(email string) string {
	// ok: go-weak-password-hash
	sum := md5.Sum([]byte(email))
	return "https://www.gravatar.com/avatar/" + hex.EncodeToString(sum[:])
}

func passwordCacheKey(password string) string {
	// ok: go-weak-password-hash
	cacheKey := md5.Sum([]byte(password))
	return hex.EncodeToString(cacheKey[:])
}
