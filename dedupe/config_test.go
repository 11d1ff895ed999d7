package dedupe

import (
	"strings"
	"testing"
)

func TestConfigValidate(t *testing.T) {
	if err := DefaultConfig().Validate(); err != nil {
		t.Fatalf("default config: %v", err)
	}
	tests := []struct {
		name   string
		change func(*Config)
		want   string
	}{
		{"bands times rows", func(c *Config) { c.Bands = 30 }, "dedupe: bands*rows (120) must equal signature_size (128)"},
		{"shingle size", func(c *Config) { c.ShingleSize = 0 }, "shingle_size (0)"},
		{"rows", func(c *Config) { c.Rows = 0 }, "rows (0)"},
		{"resemblance", func(c *Config) { c.MinResemblance = 1.5 }, "min_resemblance (1.5)"},
		{"containment", func(c *Config) { c.MinContainment = 0 }, "min_containment (0)"},
		{"seed similarity", func(c *Config) { c.MinSeedSimilarity = -1 }, "min_seed_similarity (-1)"},
	}
	for _, tt := range tests {
		c := DefaultConfig()
		tt.change(&c)
		err := c.Validate()
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want one containing %q", tt.name, err, tt.want)
		}
		if _, err := NewAnalyzer(c); err == nil {
			t.Errorf("%s: NewAnalyzer accepted an invalid config", tt.name)
		}
	}
}

func TestAnalyzeTitleFallback(t *testing.T) {
	an := newTestAnalyzer(t)
	const title = "Putin arrives in Pyongyang for first visit in 24 years"
	tests := []struct {
		name, body string
		words      int
	}{
		{"empty body", "", 10},
		{"boilerplate body", "Read more", 10},
		{"short body", "Kim Jong Un welcomed him", 15}, // title words in front of the body's
		{"long body", strings.Repeat("word ", 20), 20}, // title not used
	}
	for _, tt := range tests {
		doc := an.Analyze(title, tt.body)
		if doc.Words != tt.words {
			t.Errorf("%s: Words = %d, want %d", tt.name, doc.Words, tt.words)
		}
		if len(doc.Signature) != 128 || len(doc.Lead) != 128 || len(doc.Shingles) == 0 {
			t.Errorf("%s: signature %d, lead %d, shingles %d", tt.name, len(doc.Signature), len(doc.Lead), len(doc.Shingles))
		}
	}
}
