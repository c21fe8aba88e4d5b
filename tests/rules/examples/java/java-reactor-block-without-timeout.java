package com.acme.store;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

@Component
public class BlockingOrderStore implements OrderStore {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final ReactiveOrderRepository orders;

    public BlockingOrderStore(ReactiveOrderRepository orders) {
        this.orders = orders;
    }

    @Override
    public List<Order> all(String customer) {
        // ruleid: java-reactor-block-without-timeout
        return orders.findByCustomer(customer).collectList().block();
    }

    @Override
    public Optional<Order> one(String id) {
        // ruleid: java-reactor-block-without-timeout
        return orders.findById(id).blockOptional();
    }

    @Override
    public void save(Order order) {
        // ruleid: java-reactor-block-without-timeout
        orders.save(order)
            .then()
            .block();
    }

    public Order first() {
        // ruleid: java-reactor-block-without-timeout
        return orders.findAll().blockFirst();
    }

    public List<Order> bounded(String customer) {
        // ok: java-reactor-block-without-timeout
        return orders.findByCustomer(customer).collectList().block(WAIT);
    }

    public Optional<Order> boundedOne(String id) {
        // ok: java-reactor-block-without-timeout
        return orders.findById(id).blockOptional(Duration.ofSeconds(5));
    }

    public Order timedOut(String id) {
        // ok: java-reactor-block-without-timeout
        return orders.findById(id).timeout(Duration.ofSeconds(3)).block();
    }

    public static void main(String[] args) {
        // ok: java-reactor-block-without-timeout
        Flux.range(1, 3).map(i -> i * 2).then().block();
    }
}
