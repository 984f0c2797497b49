using WeightShare.Engine.Compression;

namespace WeightShare.Engine.Tests.Compression;

/// <summary>The limits of a run's settings, listed all at once for a form and refused one at a time by the API.</summary>
public sealed class RunSettingsLimitsTests
{
    private static readonly RunSettings ThreeBad = new()
    {
        ValidationSamples = 0,
        Search = new SearchSettings(Population: 0, KMin: 2, KMax: 1),
        Calibration = new CalibrationSettings(Steps: -7),
    };

    [Fact]
    public void LimitProblems_ThreeFieldsOutOfRange_ListsEachUnderItsPath()
    {
        var problems = ThreeBad.LimitProblems();

        Assert.Equal(["validationSamples", "search.population", "search.kMax", "calibration.steps"], problems.Select(p => p.Field));
        Assert.Equal("search.population must be between 4 and 10000 (got 0).", problems[1].Message);
        Assert.Equal((4.0, 10_000.0), (problems[1].Min, problems[1].Max));
    }

    [Fact]
    public void Resolve_ThreeFieldsOutOfRange_RefusesTheFirstOfTheSameList()
    {
        var error = Assert.Throws<InvalidInputException>(() => SettingsResolver.Default.Check(ThreeBad));

        Assert.Equal(ThreeBad.LimitProblems()[0].Message, error.Message);
        Assert.Equal("validationSamples must be at least 1 (got 0).", error.Message);
    }

    [Fact]
    public void Describe_RuleNamingAnotherField_UsesTheFormsLabelsForBoth()
    {
        var labels = new Dictionary<string, string> { ["search.kMin"] = "k min", ["search.kMax"] = "k max", ["search.population"] = "Population" };
        var problems = ThreeBad.LimitProblems();

        Assert.Equal("Population must be between 4 and 10000.", problems[1].Describe(p => labels[p]));
        Assert.Equal("k max must be greater than k min.", problems[2].Describe(p => labels[p]));
    }

    [Fact]
    public void LimitProblems_Defaults_None()
    {
        Assert.Empty(new RunSettings().LimitProblems());
    }
}
