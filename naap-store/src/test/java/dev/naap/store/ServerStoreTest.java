package dev.naap.store;

/** The contract on the server backend, through ClickHouseHttpServer to the embedded engine. */
class ServerStoreTest extends StoreContractTest {
  @Override
  Store openStore() {
    return TestEngine.serverStore("contract_server");
  }
}
