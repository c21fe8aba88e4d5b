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
