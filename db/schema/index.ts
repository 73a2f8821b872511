// The one schema of SegTrial, by area. Both drivers (PGlite and PostgreSQL) run the same migrations.
export * from './roles';
export * from './accounts';
export * from './trials';
export * from './audit';
export * from './enrollment';
export * from './jobs';
export * from './imaging';
export * from './outcomes';
export * from './review';
export * from './conduct';
export * from './followup';
export * from './pacs';
export * from './uploads';
export * from './oversight';
export * from './monitoring';
