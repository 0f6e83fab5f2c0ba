/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  rootDir: '.',
  roots: ['<rootDir>/src', '<rootDir>/test'],
  // *.spec.ts unit, *.db-spec.ts real PostgreSQL, *.e2e-spec.ts booted app over HTTP.
  testRegex: '.*\\.(spec|db-spec|e2e-spec)\\.ts$',
  moduleFileExtensions: ['ts', 'js', 'json'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }],
    // ESM-only dependencies: Node 20 loads them with require(), jest's runtime cannot, so compile them to CJS.
    '^.+\\.js$': [
      'ts-jest',
      { tsconfig: { allowJs: true, module: 'commonjs', verbatimModuleSyntax: false } },
    ],
  },
  transformIgnorePatterns: [
    '/node_modules/(?!(\\.pnpm/(content-disposition)@[^/]+/node_modules/)?(content-disposition)/)',
  ],
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
  testTimeout: 30000,
  maxWorkers: 2,
};
