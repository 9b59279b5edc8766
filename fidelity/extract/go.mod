module pandastack-contract/fidelity/extract

go 1.19
