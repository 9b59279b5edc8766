// Dredd hooks for the PandaStack contract. Dredd builds one transaction per documented
// (operation, status); these hooks turn each into a request that really produces that status —
// with the same provocation strategies as pandastack-contract — and validate every response
// with the real 3.1 schemas and the contract's checks (Dredd alone checks little more than the
// keys of a JSON body on OpenAPI 3). CommonJS because Dredd loads hooks with require().
const hooks = require('hooks');

/** @type {any} */
let env;

hooks.beforeAll((_transactions, done) => {
  import('./session.ts').then(
    async (m) => {
      env = await m.openSession();
      done();
    },
    (e) => {
      hooks.log(`cannot load the contract session: ${e.stack}`);
      done();
    },
  );
});

hooks.beforeEach((transaction, done) => {
  env.prepare(transaction).then(() => done(), (e) => {
    transaction.fail = `could not prepare the request: ${e.message}`;
    done();
  });
});

hooks.beforeEachValidation((transaction, done) => {
  env.validate(transaction);
  done();
});

hooks.afterEach((transaction, done) => {
  env.tidy(transaction).then(() => done(), () => done());
});

hooks.afterAll((_transactions, done) => {
  env.close().then(() => done(), () => done());
});
