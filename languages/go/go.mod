module github.com/pandastack-io/pandastack-contract/languages/go

go 1.21
