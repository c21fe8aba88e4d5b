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

func subsonicCredentials(u *User, payload map[string]string, salt string) {
	// ok: go-weak-password-hash
	subsonicToken := md5.Sum([]byte(u.Password + salt))
	payload["subsonicToken"] = hex.EncodeToString(subsonicToken[:])
}

func checkSubsonicToken(u *User, salt, token string) bool {
	// ok: go-weak-password-hash
	t := fmt.Sprintf("%x", md5.Sum([]byte(u.Password+salt)))
	return t == token
}

func checkLogin(u *User, password string) bool {
	// ruleid: go-weak-password-hash
	h := fmt.Sprintf("%x", md5.Sum([]byte(password+u.Salt)))
	return h == u.PasswordHash
}
