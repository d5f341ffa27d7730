package io.holdfast.spring.boot;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

/**
 * The test's class path as an application without a library would see it: the library's classes do
 * not load, and none of its resources (its {@code spring.factories}, its auto-configuration lists,
 * its class files read as metadata) are found. The library is named by its Maven group, which is
 * also the package its classes are in.
 */
final class HidingClassLoader extends ClassLoader {

  private final String packagePrefix;
  private final String resourcePrefix;

  /**
   * @param group a Maven group whose classes live in the package of the same name ({@code
   *     org.springframework.cloud})
   */
  HidingClassLoader(ClassLoader parent, String group) {
    super(parent);
    this.packagePrefix = group + ".";
    this.resourcePrefix = group.replace('.', '/') + "/";
  }

  @Override
  protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
    if (name.startsWith(packagePrefix)) {
      throw new ClassNotFoundException(name + " is hidden from this class loader");
    }
    return super.loadClass(name, resolve);
  }

  @Override
  public URL getResource(String name) {
    List<URL> found = visible(name);
    return found.isEmpty() ? null : found.get(0);
  }

  @Override
  public Enumeration<URL> getResources(String name) throws IOException {
    return Collections.enumeration(visible(name));
  }

  private List<URL> visible(String name) {
    if (name.startsWith(resourcePrefix) || name.startsWith("/" + resourcePrefix)) {
      return List.of();
    }
    try {
      // A resource of the library's jar (its path in the Maven repository names the group).
      return Collections.list(getParent().getResources(name)).stream()
          .filter(url -> !url.toString().contains("/" + resourcePrefix))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
