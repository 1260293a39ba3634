// Servers started by tests log through defaultLogger(): warnings and errors only, so a full run
// is not buried under request lines. Tests that read the log pass their own logger or set the level.
process.env.HUB_LOG_LEVEL ??= 'warn';
