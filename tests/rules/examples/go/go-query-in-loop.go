package example

import "database/sql"

// One read per row this function read: N+1.
func ordersWithItems(db *sql.DB) error {
	orders, err := db.Query("SELECT id FROM orders")
	if err != nil {
		return err
	}
	for _, o := range orders {
		// ruleid: go-query-in-loop
		if _, err := db.Query("SELECT sku FROM items WHERE order_id = ?", o.ID); err != nil {
			return err
		}
	}
	return nil
}

// A write per row of the user's own collections, inside the deletion's transaction.
func deleteAccount(db *sql.DB, t *sql.Tx, userID int64) error {
	colls, err := db.Query("SELECT id FROM collections WHERE owner_id = ?", userID)
	if err != nil {
		return err
	}
	for _, c := range colls {
		// ok: go-query-in-loop
		if _, err := t.Exec("DELETE FROM collectionattributes WHERE collection_id = ?", c.ID); err != nil {
			return err
		}
	}
	return nil
}

// An in-memory cache's Get is not a round trip.
func (s *Service) hasReply(db *sql.DB, id string) bool {
	comments, _ := db.Query("SELECT id, parent_id FROM comments LIMIT 20")
	for _, c := range comments {
		// ok: go-query-in-loop
		s.repliesCache.Get(c.ID, load)
	}
	return false
}
