package dev.naap.dashboard;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium through its chromedriver, with a fresh profile, downloads into a
 * directory of the test's, and the browser console kept for checking. Not thread-safe.
 */
final class Browser implements AutoCloseable {

  static final Dimension LAPTOP = new Dimension(1400, 900);
  static final Dimension PHONE = new Dimension(390, 844);

  private final ChromeDriver driver;
  private final Path downloads;

  Browser(Path dir) {
    try {
      Path profile = Files.createDirectories(dir.resolve("profile"));
      downloads = Files.createDirectories(dir.resolve("downloads"));
      ChromeOptions options = new ChromeOptions();
      options.setBinary("/usr/bin/chromium");
      options.addArguments(
          "--headless=new",
          "--no-sandbox",
          "--disable-gpu",
          "--disable-background-networking",
          "--disable-component-update",
          "--disable-sync",
          "--no-first-run",
          "--user-data-dir=" + profile,
          "--window-size=" + LAPTOP.width + "," + LAPTOP.height);
      options.setExperimentalOption(
          "prefs",
          Map.of(
              "download.default_directory",
              downloads.toString(),
              "download.prompt_for_download",
              false));
      LoggingPreferences logs = new LoggingPreferences();
      logs.enable(LogType.BROWSER, Level.ALL);
      options.setCapability(ChromeOptions.LOGGING_PREFS, logs);
      ChromeDriverService service =
          new ChromeDriverService.Builder()
              .usingDriverExecutable(Path.of("/usr/bin/chromedriver").toFile())
              .usingAnyFreePort()
              .build();
      driver = new ChromeDriver(service, options);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  ChromeDriver driver() {
    return driver;
  }

  /** Opens {@code url} and waits until the dashboard has rendered it. */
  void open(String url) {
    driver.get(url);
    awaitRender(0);
  }

  /** Waits until a render later than render number {@code after} has finished. */
  void awaitRender(long after) {
    new WebDriverWait(driver, Duration.ofSeconds(30))
        .withMessage(
            () ->
                "no render after number "
                    + after
                    + " at "
                    + driver.getCurrentUrl()
                    + ": status "
                    + driver.findElement(By.tagName("body")).getDomAttribute("data-status")
                    + ", renders "
                    + renders())
        .until(
            d -> {
              WebElement body = d.findElement(By.tagName("body"));
              if ("error".equals(body.getDomAttribute("data-status"))) {
                throw new AssertionError(
                    "the dashboard shows an error: " + d.findElement(By.id("main")).getText());
              }
              String renders = body.getDomAttribute("data-renders");
              return "ready".equals(body.getDomAttribute("data-status"))
                  && renders != null
                  && Long.parseLong(renders) > after;
            });
    // Charts are drawn in the frame after the view is attached.
    script(
        "return new Promise(resolve => requestAnimationFrame(() =>"
            + " requestAnimationFrame(resolve)));");
  }

  /** The number of the latest finished render. */
  long renders() {
    String renders = driver.findElement(By.tagName("body")).getDomAttribute("data-renders");
    return renders == null ? 0 : Long.parseLong(renders);
  }

  Object script(String js, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(js, args);
  }

  List<WebElement> all(String css) {
    return driver.findElements(By.cssSelector(css));
  }

  WebElement one(String css) {
    return driver.findElement(By.cssSelector(css));
  }

  /** Saves the whole page (not only the window) as a PNG at {@code file}, at the given width. */
  void screenshot(Path file, int width) {
    Dimension before = driver.manage().window().getSize();
    script("window.scrollTo(0, 0);");
    long height = (Long) script("return document.documentElement.scrollHeight;");
    driver.manage().window().setSize(new Dimension(width, (int) Math.min(height + 20, 6000)));
    script(
        "return new Promise(resolve => setTimeout(resolve, 300));"); // charts follow the new width
    try {
      Files.createDirectories(file.getParent());
      Files.copy(
          driver.getScreenshotAs(OutputType.FILE).toPath(),
          file,
          StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      driver.manage().window().setSize(before);
    }
  }

  /** The browser console's errors since the last call. */
  List<String> consoleErrors() {
    return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
        .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
        .map(LogEntry::getMessage)
        .toList();
  }

  /** Where the browser saves downloads. */
  Path downloads() {
    return downloads;
  }

  @Override
  public void close() {
    driver.quit();
  }
}
