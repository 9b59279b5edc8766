module github.com/pandastack-io/pandastack-contract/server-kit/go/pandastackerrors

go 1.19
