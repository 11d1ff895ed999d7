package sqlite

import (
	"aggregator"
	"context"
	"fmt"
)

// VerdictCounts returns how many items of each source got each verdict, by
// source name and then verdict; sources without items are absent.
func (s *Store) VerdictCounts(ctx context.Context) (map[string]map[aggregator.Verdict]int, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT src.name, i.verdict, COUNT(*)
		FROM items i JOIN sources src ON src.id = i.source_id
		GROUP BY src.name, i.verdict`)
	if err != nil {
		return nil, fmt.Errorf("store: verdict counts: %w", err)
	}
	defer rows.Close()
	out := make(map[string]map[aggregator.Verdict]int)
	for rows.Next() {
		var name, verdict string
		var n int
		if err := rows.Scan(&name, &verdict, &n); err != nil {
			return nil, fmt.Errorf("store: verdict counts: %w", err)
		}
		if out[name] == nil {
			out[name] = make(map[aggregator.Verdict]int)
		}
		out[name][aggregator.Verdict(verdict)] = n
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: verdict counts: %w", err)
	}
	return out, nil
}
