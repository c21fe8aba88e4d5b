package com.acme.orders;

import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.*;

@RestController
public class OrderSearchController {
    private static final Map<String, String> SORTS = Map.of("date", "created_at", "total", "total");
    private final JdbcTemplate jdbc;

    public OrderSearchController(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @GetMapping("/orders/search")
    public List<Map<String, Object>> search(@RequestParam String customer, @RequestParam(defaultValue = "date") String sort,
                                            @RequestParam(defaultValue = "0") int page) {
        String sql = "SELECT id, total FROM orders WHERE customer = '" + customer + "'";
        // ruleid: java-sql-built-from-strings
        List<Map<String, Object>> rows = jdbc.queryForList(sql);
        // ok: java-sql-built-from-strings
        rows.addAll(jdbc.queryForList("SELECT id, total FROM orders WHERE customer = ?", customer));
        // ok: java-sql-built-from-strings
        rows.addAll(jdbc.queryForList("SELECT id FROM orders ORDER BY id LIMIT 50 OFFSET " + page * 50));
        String column = SORTS.getOrDefault(sort, "created_at");
        // ok: java-sql-built-from-strings
        rows.addAll(jdbc.queryForList("SELECT id FROM orders ORDER BY " + column));
        return rows;
    }
}
