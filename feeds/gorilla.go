package feeds

import (
	gorilla "github.com/gorilla/feeds"
)

// gorillaFeed converts p to gorilla/feeds' generic Feed, from which the Atom,
// RSS and JSON documents are built. What gorilla cannot express is added by
// each format's writer.
func (p *prepared) gorillaFeed() *gorilla.Feed {
	gf := &gorilla.Feed{
		Title:       p.Title,
		Description: p.Subtitle,
		Id:          p.ID,
		Updated:     p.updated,
	}
	if home := firstNonEmpty(p.AlternateURL, p.SelfURL); home != "" {
		gf.Link = &gorilla.Link{Href: home}
	}
	if p.author != "" {
		gf.Author = &gorilla.Author{Name: p.author}
	}
	for _, e := range p.entries {
		item := &gorilla.Item{
			Title:       e.Title,
			Id:          e.ID,
			IsPermaLink: "false",
			Description: e.summary,
			Updated:     e.updated,
			Created:     e.published,
		}
		if e.Link != "" {
			item.Link = &gorilla.Link{Href: e.Link}
		}
		if e.Author != "" {
			item.Author = &gorilla.Author{Name: e.Author}
		}
		gf.Items = append(gf.Items, item)
	}
	return gf
}
