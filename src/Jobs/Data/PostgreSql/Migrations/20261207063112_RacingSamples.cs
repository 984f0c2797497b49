using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WeightShare.Jobs.Data.PostgreSql.Migrations
{
    /// <inheritdoc />
    public partial class RacingSamples : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "RacedEvaluations",
                table: "Runs",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "ValidationSamplesEvaluated",
                table: "Runs",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "RacedEvaluations",
                table: "Generations",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "RacingJson",
                table: "Generations",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "ValidationSamplesEvaluated",
                table: "Generations",
                type: "bigint",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "RacedEvaluations",
                table: "Runs");

            migrationBuilder.DropColumn(
                name: "ValidationSamplesEvaluated",
                table: "Runs");

            migrationBuilder.DropColumn(
                name: "RacedEvaluations",
                table: "Generations");

            migrationBuilder.DropColumn(
                name: "RacingJson",
                table: "Generations");

            migrationBuilder.DropColumn(
                name: "ValidationSamplesEvaluated",
                table: "Generations");
        }
    }
}
