package shipments

import (
	"fmt"
	"net/http"
	"strconv"
)

var sortColumns = map[string]string{"created": "created_at", "status": "status"}

func (h *Handler) List(w http.ResponseWriter, r *http.Request) {
	warehouse := r.URL.Query().Get("warehouse")
	// ruleid: go-sql-built-from-strings
	rows, err := h.DB.QueryContext(r.Context(), "SELECT id FROM shipments WHERE warehouse = '"+warehouse+"'")
	query := fmt.Sprintf("SELECT id FROM shipments WHERE carrier = '%s'", r.FormValue("carrier"))
	// ruleid: go-sql-built-from-strings
	rows, err = h.DB.Query(query)
	// ok: go-sql-built-from-strings
	rows, err = h.DB.QueryContext(r.Context(), "SELECT id FROM shipments WHERE warehouse = $1", warehouse)
	column, ok := sortColumns[r.URL.Query().Get("sort")]
	if !ok {
		column = "created_at"
	}
	// ok: go-sql-built-from-strings
	rows, err = h.DB.Query("SELECT id FROM shipments ORDER BY " + column)
	page, _ := strconv.Atoi(r.URL.Query().Get("page"))
	// ok: go-sql-built-from-strings
	rows, err = h.DB.Query(fmt.Sprintf("SELECT id FROM shipments LIMIT 50 OFFSET %d", page*50))
	_ = rows
	_ = err
}

// Query builders bind every argument after the SQL text; squirrel's maps bind their values.
func findByName(w http.ResponseWriter, r *http.Request) {
	name := r.URL.Query().Get("name")
	// ok: go-sql-built-from-strings
	db.Where("name = ?", name).First(&user)
	// ok: go-sql-built-from-strings
	db.Where(sq.Expr("user_name = ? COLLATE NOCASE", name)).First(&user)
	// ok: go-sql-built-from-strings
	db.Where(sq.And{sq.Eq{"kind": "genre"}, sq.Like{"value": name}}).First(&user)
	// ruleid: go-sql-built-from-strings
	db.Where("name = '" + name + "'").First(&user)
	// ruleid: go-sql-built-from-strings
	db.Where(sq.Expr("name = " + name)).First(&user)
}
