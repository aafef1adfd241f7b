"""The guest page in a real browser (`check --page`), at the protocol level: which browser to use, what
the command line says about the page and its session, the Pusher frames and socket URLs the page shows,
and the watch over one headless page (Playwright, imported only when a page is opened).

Nothing here decides what counts as a problem of the chain: that is the page checks' job."""
