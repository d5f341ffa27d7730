package io.holdfast.springcloudconfigapp;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code core.*} settings, bound by Spring Boot from whatever property sources the environment
 * has (here, the config server's): typed, so a number arrives as an {@link Integer}.
 *
 * @param greeting {@code core.greeting}
 * @param sessionTimeoutMinutes {@code core.sessionTimeoutMinutes}
 */
@ConfigurationProperties("core")
public record CoreSettings(String greeting, Integer sessionTimeoutMinutes) {}
