using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WeightShare.Jobs.Data.Migrations
{
    /// <inheritdoc />
    public partial class RunNotesAndStopSearch : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Notes",
                table: "Runs",
                type: "TEXT",
                maxLength: 2000,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "StopSearchRequested",
                table: "Runs",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Notes",
                table: "Runs");

            migrationBuilder.DropColumn(
                name: "StopSearchRequested",
                table: "Runs");
        }
    }
}
