export * from './enums';
export * from './geography';
export * from './organizations';
export * from './catalogue';
export * from './households';
export * from './needs';
export * from './resources';
export * from './meta';
