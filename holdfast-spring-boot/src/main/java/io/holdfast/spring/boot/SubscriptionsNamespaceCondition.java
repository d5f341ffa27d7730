package io.holdfast.spring.boot;

import io.holdfast.client.seats.SubscriptionChecker;
import java.util.Arrays;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/** Matches when {@code holdfast.namespaces} lists {@code subscriptions}. */
final class SubscriptionsNamespaceCondition implements Condition {

  @Override
  public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
    return Binder.get(context.getEnvironment())
        .bind(HoldfastSettings.PREFIX + ".namespaces", String[].class)
        .map(
            names ->
                Arrays.stream(names)
                    .map(String::trim)
                    .anyMatch(SubscriptionChecker.NAMESPACE::equals))
        .orElse(false);
  }
}
