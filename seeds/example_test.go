package seeds_test

import (
	"fmt"

	"aggregator/seeds"
)

func ExampleEmbedded() {
	for _, a := range seeds.Embedded()[2:3] {
		fmt.Println(a.Name)
		fmt.Println(a.Title)
	}
	// Output:
	// 002_d941ebfd04aa38f2.txt
	// Diundang Kim Jong-un, Putin Akan Berkunjung ke Korea Utara
}
