module github.com/pandastack-io/pandastack-contract/server-kit/examples/go

go 1.19

require github.com/pandastack-io/pandastack-contract/server-kit/go/pandastackerrors v0.0.0

replace github.com/pandastack-io/pandastack-contract/server-kit/go/pandastackerrors => ../../go
