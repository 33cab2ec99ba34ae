// Tests log nothing unless asked, and never inherit a developer's production settings by accident.
process.env.LOG_LEVEL ??= 'silent';
process.env.NODE_ENV = 'test';
