package example

func all(db *sql.DB) {
	// ruleid: go-unbounded-query
	rows, err := db.Query("SELECT * FROM accounts")
	// ruleid: go-unbounded-query
	rows, err = db.Query("SELECT id FROM jobs WHERE done = false")
	// ok: go-unbounded-query
	rows, err = db.Query("SELECT id FROM jobs WHERE id > $1 LIMIT 100", id)
	// ok: go-unbounded-query
	row := db.QueryRow("SELECT count(*) FROM jobs WHERE done = false")
	_, _, _ = rows, err, row
}

// A query builder: the caller's conditions are formatted into the WHERE clause.
func (b *builder) feeds() string {
	// ok: go-unbounded-query
	query := `
		SELECT f.id, f.title
		FROM feeds f
		WHERE %s
		%s
	`
	return fmt.Sprintf(query, b.conditions, b.order)
}

func (s *Storage) userByToken(token string) (*User, error) {
	// The key is compared through a function call: still a bound lookup.
	// ok: go-unbounded-query
	query := `SELECT users.id FROM users WHERE lower(users.token)=lower($1)`
	var u User
	return &u, s.db.QueryRow(query, token).Scan(&u.ID)
}

func (s *Storage) version() int {
	var v int
	// One row, by QueryRow.
	// ok: go-unbounded-query
	s.db.QueryRow(`SELECT version FROM schema_version`).Scan(&v)
	return v
}

func (s *Storage) batch(size int) (*sql.Rows, error) {
	// ok: go-unbounded-query
	query := `SELECT id FROM entries WHERE status = 'unread' ORDER BY id`
	if size > 0 {
		query += fmt.Sprintf(" LIMIT %d", size)
	}
	return s.db.Query(query)
}

func (s *Storage) everyone() (*sql.Rows, error) {
	// ruleid: go-unbounded-query
	query := `SELECT id, username FROM users ORDER BY username`
	return s.db.Query(query)
}
