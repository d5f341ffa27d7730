/**
 * An OpenFeature Java SDK provider that serves feature flags from one Holdfast namespace: {@link
 * io.holdfast.openfeature.HoldfastProvider}. See docs/openfeature.md.
 */
package io.holdfast.openfeature;
