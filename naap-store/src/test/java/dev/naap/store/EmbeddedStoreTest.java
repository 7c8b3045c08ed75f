package dev.naap.store;

/** The contract on the embedded engine. */
class EmbeddedStoreTest extends StoreContractTest {
  @Override
  Store openStore() {
    return TestEngine.store("contract_embedded");
  }
}
