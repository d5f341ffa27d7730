package io.holdfast.it.console;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.openqa.selenium.By;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's chromium, headless, driven through Debian's chromedriver; nothing is downloaded but
 * Debian's packages. {@code bin/ensure-chromium} installs them when missing, so the README's test
 * command works on a fresh machine; if it cannot, the tests fail, they are never skipped. Each
 * instance has its own fresh profile directory. Saves screenshots under {@code
 * target/console-screenshots/} for review.
 */
final class HeadlessChromium implements AutoCloseable {

  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  static final Path SCREENSHOTS = Path.of("target", "console-screenshots");

  private final ChromeDriver driver;
  private final WebDriverWait wait;

  HeadlessChromium(Path profile) {
    ensureInstalled();
    for (Path required : new Path[] {CHROMIUM, CHROMEDRIVER}) {
      if (!Files.isExecutable(required)) {
        throw new AssertionError(
            required
                + " is missing after bin/ensure-chromium: install Debian's chromium and"
                + " chromium-driver (apt-get install -y chromium chromium-driver)");
      }
    }
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--window-size=1400,1000",
        "--user-data-dir=" + profile.toAbsolutePath());
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File(CHROMEDRIVER.toString()))
            .usingAnyFreePort()
            .build();
    driver = new ChromeDriver(service, options);
    wait = new WebDriverWait(driver, Duration.ofSeconds(30), Duration.ofMillis(100));
    wait.ignoring(StaleElementReferenceException.class).ignoring(NoSuchElementException.class);
  }

  /** Runs {@code bin/ensure-chromium} from the project's root (this module's parent). */
  private static void ensureInstalled() {
    Path script = Path.of("..", "bin", "ensure-chromium").toAbsolutePath().normalize();
    try {
      Process process = new ProcessBuilder(script.toString()).redirectErrorStream(true).start();
      String output =
          new String(
              process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      if (process.waitFor() != 0) {
        throw new AssertionError("bin/ensure-chromium failed: " + output);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + script, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while installing chromium", e);
    }
  }

  WebDriver driver() {
    return driver;
  }

  WebDriverWait await() {
    return wait;
  }

  /**
   * The text of the element now; the live fragments replace elements, so it is looked up afresh.
   */
  String text(By by) {
    return wait.until(d -> d.findElement(by).getText());
  }

  /** Clicks the element, looking it up again if a live refresh replaced it meanwhile. */
  void click(By by) {
    wait.until(
        d -> {
          d.findElement(by).click();
          return true;
        });
  }

  /** Clicks a button whose form asks for confirmation, and confirms. */
  void clickAndConfirm(By by) {
    click(by);
    wait.until(ExpectedConditions.alertIsPresent()).accept();
  }

  /** Saves what the browser shows as {@code target/console-screenshots/<name>.png}. */
  void screenshot(String name) {
    try {
      Files.createDirectories(SCREENSHOTS);
      Files.write(SCREENSHOTS.resolve(name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    driver.quit();
  }
}
