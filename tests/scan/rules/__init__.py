"""One test module per scan rule: valid and invalid snippets run through ``tests.scan.rule_tester``."""
