package io.holdfast.client.seats;

class InMemorySeatStoreTest extends SeatStoreContract {

  @Override
  SeatStore newStore() {
    return new InMemorySeatStore();
  }
}
