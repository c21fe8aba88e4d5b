package store

func (s *Storage) RemoveCategories(userID int64, titles []string) error {
	tx, err := s.db.Begin()
	if err != nil {
		return err
	}
	if _, err = tx.Exec("DELETE FROM categories WHERE user_id = $1 AND title = ANY($2)", userID, titles); err != nil {
		tx.Rollback()
		return err
	}
	// A failed commit of the delete is reported to the caller as success.
	// ruleid: go-unchecked-error
	tx.Commit()
	return nil
}

func (s *Storage) Touch(id int64) {
	// ruleid: go-unchecked-error
	s.db.Exec("UPDATE sessions SET seen_at = now() WHERE id = $1", id)
}

func (s *Storage) MoveEntries(from, to int64) error {
	tx, _ := s.db.Begin()
	if err := s.updateEntryFeed(tx, from, to); err != nil {
		return err
	}
	// The write is in a helper the name says writes.
	// ruleid: go-unchecked-error
	tx.Commit()
	return nil
}

func (s *Storage) Neighbours(prevID, nextID int64) (*Entry, *Entry, error) {
	tx, err := s.db.Begin()
	if err != nil {
		return nil, nil, err
	}
	prev, err := s.getEntry(tx, prevID)
	if err != nil {
		return nil, nil, err
	}
	next, err := s.getEntry(tx, nextID)
	if err != nil {
		return nil, nil, err
	}
	// A transaction that only read: a failed commit changes nothing.
	// ok: go-unchecked-error
	tx.Commit()
	return prev, next, nil
}

func (s *Storage) CurrentVersion() (int, error) {
	var version int
	// The function could report the failure and reads it as version 0.
	// ruleid: go-unchecked-error
	s.db.QueryRow(`SELECT version FROM schema_version`).Scan(&version)
	return version, nil
}

func (s *Storage) FeedURLExists(userID int64, feedURL string) bool {
	var result bool
	// An existence check with no error result: "not found" on failure is the helper's contract.
	// ok: go-unchecked-error
	s.db.QueryRow(`SELECT true FROM feeds WHERE user_id=$1 AND feed_url=$2 LIMIT 1`, userID, feedURL).Scan(&result)
	return result
}

func (s *Storage) Save(id int64) error {
	// ok: go-unchecked-error
	if _, err := s.db.Exec("UPDATE t SET a = 1 WHERE id = $1", id); err != nil {
		return err
	}
	// ok: go-unchecked-error
	defer tx.Commit()
	return nil
}

func (s *Storage) SchemaCurrent(latest int) error {
	var current int
	// A failed Scan leaves 0, which the next check already reports as an error.
	// ok: go-unchecked-error
	s.db.QueryRow(`SELECT version FROM schema_version`).Scan(&current)
	if current < latest {
		return fmt.Errorf("schema at v%d, want v%d", current, latest)
	}
	return nil
}

func (s *Storage) Upgrade(latest int) error {
	var current int
	// A failed Scan reads as version 0 and every step runs again.
	// ruleid: go-unchecked-error
	s.db.QueryRow(`SELECT version FROM schema_version`).Scan(&current)
	for v := current; v < latest; v++ {
		if err := s.step(v); err != nil {
			return err
		}
	}
	return nil
}
