package example

import "time"

func retryCounted() error {
	var err error
	// ruleid: go-retry-without-backoff
	for attempt := 0; attempt < 3; attempt++ {
		err = call()
		if err != nil {
			continue
		}
		return nil
	}
	return err
}

func retryUntilSuccess() error {
	attempts := 0
	// ruleid: go-retry-without-backoff
	for {
		if err := call(); err == nil {
			return nil
		}
		attempts++
	}
}

func retryKeepsLastError() (err error) {
	// ruleid: go-retry-without-backoff
	for i := 0; i < maxRetries; i++ {
		if err = call(); err != nil {
			last = err
		}
	}
	return err
}

func retryWithBackoff() error {
	var err error
	// ok: go-retry-without-backoff
	for attempt := 0; attempt < 3; attempt++ {
		if err = call(); err != nil {
			time.Sleep(time.Duration(1<<attempt) * 100 * time.Millisecond)
			continue
		}
		return nil
	}
	return err
}

// A loop over items that returns on the first error retries nothing, even when the slice is named `entries`.
func sendEach(entries []string) error {
	// ok: go-retry-without-backoff
	for _, entry := range entries {
		// send one notification per entry
		if err := send(entry); err != nil {
			return err
		}
	}
	return nil
}

// Counting attempts but giving up on the first error is not a retry either.
func firstTry() error {
	// ok: go-retry-without-backoff
	for attempt := 0; attempt < 3; attempt++ {
		if err := call(); err != nil {
			return err
		}
	}
	return nil
}

// Reading rows: the loop variable is not an attempt.
func scanRows(rows Rows) error {
	// ok: go-retry-without-backoff
	for rows.Next() {
		var tries int
		if err := rows.Scan(&tries); err != nil {
			return err
		}
	}
	return nil
}
