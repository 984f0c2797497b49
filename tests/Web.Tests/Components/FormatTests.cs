using WeightShare.Web.Components.Shared;

namespace WeightShare.Web.Tests.Components;

/// <summary>How figures read on the pages, the same in every culture.</summary>
public sealed class FormatTests
{
    [Theory]
    [InlineData(null, "–")]
    [InlineData(0L, "0 B")]
    [InlineData(1023L, "1023 B")]
    [InlineData(1536L, "1.5 KiB")]
    [InlineData(849_177L, "829.3 KiB")]
    [InlineData(5L * 1024 * 1024, "5.0 MiB")]
    [InlineData(3L * 1024 * 1024 * 1024, "3.00 GiB")]
    public void Bytes_Size_ReadsInBinaryUnits(long? bytes, string expected)
    {
        Assert.Equal(expected, Format.Bytes(bytes));
    }

    [Fact]
    public void Percent_Fraction_ReadsWithTwoDecimals()
    {
        Assert.Equal("90.12 %", Format.Percent(0.90123));
        Assert.Equal("–", Format.Percent(null));
    }

    [Fact]
    public void Ratio_Value_ReadsWithTwoDecimalsAndX()
    {
        Assert.Equal("13.06x", Format.Ratio(849_177 / 65_000.0));
        Assert.Equal("–", Format.Ratio(null));
    }

    [Fact]
    public void Number_Value_UsesTheGivenFormat()
    {
        Assert.Equal("3.250", Format.Number(3.25, "0.000"));
        Assert.Equal("–", Format.Number(null));
    }

    [Fact]
    public void Count_Value_GroupsThousands()
    {
        Assert.Equal("1,234,567", Format.Count(1_234_567));
    }

    [Theory]
    [InlineData(null, "–")]
    [InlineData(45.4, "45 s")]
    [InlineData(90.0, "1 min 30 s")]
    [InlineData(3725.0, "1 h 2 min")]
    public void Duration_Span_ReadsInTheLargestUnits(double? seconds, string expected)
    {
        Assert.Equal(expected, Format.Duration(seconds is { } s ? TimeSpan.FromSeconds(s) : null));
    }

    [Fact]
    public void Shape_Dimensions_ReadAsAProduct()
    {
        Assert.Equal("[1 × 28 × 28]", Format.Shape([1, 28, 28]));
    }

    [Fact]
    public void DetailOf_ProblemJson_ReturnsItsDetail()
    {
        Assert.Equal("Too big.", Problems.DetailOf(413, """{"status":413,"detail":"Too big."}"""));
        Assert.Equal("The server answered HTTP 502.", Problems.DetailOf(502, "<html>Bad gateway</html>"));
        Assert.Contains("did not reach", Problems.DetailOf(0, ""));
    }

    [Fact]
    public void Time_AnyKind_ReadsAsUtcInOneForm()
    {
        Assert.Equal("2026-12-02 09:14 UTC", Format.Time(new DateTime(2026, 12, 2, 9, 14, 7, DateTimeKind.Utc)));
        Assert.Equal("2026-12-02 09:14 UTC", Format.Time(new DateTime(2026, 12, 2, 9, 14, 7, DateTimeKind.Unspecified)));
    }

    [Fact]
    public void Settings_ScalarRunWithOptions_SaysCodecOptionsObjectiveAndSearchSize()
    {
        var settings = new WeightShare.Engine.Compression.RunSettings
        {
            Codec = "scalar",
            CodecOptions = new() { ["coder"] = "huffman" },
            Objective = WeightShare.Engine.Compression.SizeObjective.Bytes,
            Search = new WeightShare.Engine.Compression.SearchSettings(Population: 32, Generations: 60),
            ValidationSamples = 1000,
        };

        Assert.Equal("scalar (coder huffman) · bytes · population 32, up to 60 generations · 1000 validation samples", Format.Settings(settings));
        Assert.EndsWith("· the default validation split", Format.Settings(settings with { ValidationSamples = null }), StringComparison.Ordinal);
    }

    [Fact]
    public void Settings_DataFreeRun_SaysDataFreeAndNoValidationSamples()
    {
        var settings = new WeightShare.Engine.Compression.RunSettings { Codec = "paper", Metric = "weightSnr", ValidationSamples = 1000 };

        var line = Format.Settings(settings, dataFree: true);

        Assert.EndsWith(" · data-free", line, StringComparison.Ordinal);
        Assert.DoesNotContain("validation", line, StringComparison.Ordinal);
    }
}
