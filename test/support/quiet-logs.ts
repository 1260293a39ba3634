import { setDefaultLogLevel } from '../../src/common/logger';

// Servers started by tests log through defaultLogger(): warnings and errors only, so a full run is
// not buried under request lines. Not through HUB_LOG_LEVEL: hubs that tests start as child
// processes inherit the environment, and some wait for their info lines. Tests that read the log
// pass their own logger.
setDefaultLogLevel('warn');
