using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace WeightShare.Jobs.Data.PostgreSql.Migrations
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "StoredFiles",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Sha256 = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    SizeBytes = table.Column<long>(type: "bigint", nullable: false),
                    FileName = table.Column<string>(type: "character varying(260)", maxLength: 260, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_StoredFiles", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Datasets",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    FileName = table.Column<string>(type: "character varying(520)", maxLength: 520, nullable: false),
                    Format = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Samples = table.Column<int>(type: "integer", nullable: false),
                    SampleShape = table.Column<int[]>(type: "integer[]", nullable: false),
                    Classes = table.Column<int>(type: "integer", nullable: false),
                    ValueMin = table.Column<float>(type: "real", nullable: true),
                    ValueMax = table.Column<float>(type: "real", nullable: true),
                    PreprocessingJson = table.Column<string>(type: "text", nullable: false),
                    FileId = table.Column<string>(type: "character varying(32)", nullable: false),
                    SecondFileId = table.Column<string>(type: "character varying(32)", nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Datasets", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Datasets_StoredFiles_FileId",
                        column: x => x.FileId,
                        principalTable: "StoredFiles",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Datasets_StoredFiles_SecondFileId",
                        column: x => x.SecondFileId,
                        principalTable: "StoredFiles",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "Models",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    FileName = table.Column<string>(type: "character varying(260)", maxLength: 260, nullable: false),
                    Format = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    SizeBytes = table.Column<long>(type: "bigint", nullable: false),
                    Sha256 = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    TensorCount = table.Column<int>(type: "integer", nullable: false),
                    ParameterCount = table.Column<long>(type: "bigint", nullable: false),
                    SharedParameterCount = table.Column<long>(type: "bigint", nullable: false),
                    CanEvaluate = table.Column<bool>(type: "boolean", nullable: false),
                    FileId = table.Column<string>(type: "character varying(32)", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Models", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Models_StoredFiles_FileId",
                        column: x => x.FileId,
                        principalTable: "StoredFiles",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "Runs",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    ModelId = table.Column<string>(type: "character varying(32)", nullable: false),
                    DatasetId = table.Column<string>(type: "character varying(32)", nullable: false),
                    SettingsJson = table.Column<string>(type: "text", nullable: false),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Phase = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    CancelRequested = table.Column<bool>(type: "boolean", nullable: false),
                    StopSearchRequested = table.Column<bool>(type: "boolean", nullable: false),
                    Notes = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    Worker = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    LeaseToken = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    LeaseExpiresAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    JobId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    Generation = table.Column<int>(type: "integer", nullable: false),
                    Generations = table.Column<int>(type: "integer", nullable: false),
                    Evaluations = table.Column<int>(type: "integer", nullable: false),
                    CacheHits = table.Column<int>(type: "integer", nullable: false),
                    Progress = table.Column<double>(type: "double precision", nullable: false),
                    BaselineValidationAccuracy = table.Column<double>(type: "double precision", nullable: true),
                    BaselineTestAccuracy = table.Column<double>(type: "double precision", nullable: true),
                    BaselineValidationMacroF1 = table.Column<double>(type: "double precision", nullable: true),
                    BaselineTestMacroF1 = table.Column<double>(type: "double precision", nullable: true),
                    BaselineSizeBytes = table.Column<long>(type: "bigint", nullable: true),
                    BaselineSeconds = table.Column<double>(type: "double precision", nullable: false),
                    SearchSeconds = table.Column<double>(type: "double precision", nullable: false),
                    MergeSeconds = table.Column<double>(type: "double precision", nullable: false),
                    FinishSeconds = table.Column<double>(type: "double precision", nullable: false),
                    Error = table.Column<string>(type: "text", nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    StartedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    FinishedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Runs", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Runs_Datasets_DatasetId",
                        column: x => x.DatasetId,
                        principalTable: "Datasets",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Runs_Models_ModelId",
                        column: x => x.ModelId,
                        principalTable: "Models",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "Generations",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    RunId = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Number = table.Column<int>(type: "integer", nullable: false),
                    Hypervolume = table.Column<double>(type: "double precision", nullable: true),
                    Evaluations = table.Column<int>(type: "integer", nullable: false),
                    CacheHits = table.Column<int>(type: "integer", nullable: false),
                    PopulationJson = table.Column<string>(type: "text", nullable: false),
                    FrontJson = table.Column<string>(type: "text", nullable: false),
                    StateJson = table.Column<string>(type: "text", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Generations", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Generations_Runs_RunId",
                        column: x => x.RunId,
                        principalTable: "Runs",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "Solutions",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    RunId = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Codec = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    ParametersJson = table.Column<string>(type: "character varying(1024)", maxLength: 1024, nullable: false),
                    K = table.Column<int>(type: "integer", nullable: true),
                    Description = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: false),
                    SharedValues = table.Column<int>(type: "integer", nullable: false),
                    Merged = table.Column<bool>(type: "boolean", nullable: false),
                    RefinementJson = table.Column<string>(type: "text", nullable: true),
                    ValidationMetric = table.Column<double>(type: "double precision", nullable: false),
                    ValidationAccuracy = table.Column<double>(type: "double precision", nullable: false),
                    TestAccuracy = table.Column<double>(type: "double precision", nullable: true),
                    ValidationMacroF1 = table.Column<double>(type: "double precision", nullable: true),
                    TestMacroF1 = table.Column<double>(type: "double precision", nullable: true),
                    BitsPerWeight = table.Column<double>(type: "double precision", nullable: true),
                    CompressedBytes = table.Column<long>(type: "bigint", nullable: true),
                    OriginalBytes = table.Column<long>(type: "bigint", nullable: true),
                    FileCompressionRatio = table.Column<double>(type: "double precision", nullable: true),
                    PaperCompressionRatio = table.Column<double>(type: "double precision", nullable: true),
                    CompressedFileId = table.Column<string>(type: "character varying(32)", nullable: true),
                    CheckpointFileId = table.Column<string>(type: "character varying(32)", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Solutions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Solutions_Runs_RunId",
                        column: x => x.RunId,
                        principalTable: "Runs",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_Solutions_StoredFiles_CheckpointFileId",
                        column: x => x.CheckpointFileId,
                        principalTable: "StoredFiles",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Solutions_StoredFiles_CompressedFileId",
                        column: x => x.CompressedFileId,
                        principalTable: "StoredFiles",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Datasets_CreatedAt",
                table: "Datasets",
                column: "CreatedAt");

            migrationBuilder.CreateIndex(
                name: "IX_Datasets_FileId",
                table: "Datasets",
                column: "FileId");

            migrationBuilder.CreateIndex(
                name: "IX_Datasets_SecondFileId",
                table: "Datasets",
                column: "SecondFileId");

            migrationBuilder.CreateIndex(
                name: "IX_Generations_RunId_Number",
                table: "Generations",
                columns: new[] { "RunId", "Number" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Models_CreatedAt",
                table: "Models",
                column: "CreatedAt");

            migrationBuilder.CreateIndex(
                name: "IX_Models_FileId",
                table: "Models",
                column: "FileId");

            migrationBuilder.CreateIndex(
                name: "IX_Runs_CreatedAt",
                table: "Runs",
                column: "CreatedAt");

            migrationBuilder.CreateIndex(
                name: "IX_Runs_DatasetId",
                table: "Runs",
                column: "DatasetId");

            migrationBuilder.CreateIndex(
                name: "IX_Runs_ModelId",
                table: "Runs",
                column: "ModelId");

            migrationBuilder.CreateIndex(
                name: "IX_Runs_Status",
                table: "Runs",
                column: "Status");

            migrationBuilder.CreateIndex(
                name: "IX_Solutions_CheckpointFileId",
                table: "Solutions",
                column: "CheckpointFileId");

            migrationBuilder.CreateIndex(
                name: "IX_Solutions_CompressedFileId",
                table: "Solutions",
                column: "CompressedFileId");

            migrationBuilder.CreateIndex(
                name: "IX_Solutions_RunId_ParametersJson",
                table: "Solutions",
                columns: new[] { "RunId", "ParametersJson" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_StoredFiles_Sha256",
                table: "StoredFiles",
                column: "Sha256");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "Generations");

            migrationBuilder.DropTable(
                name: "Solutions");

            migrationBuilder.DropTable(
                name: "Runs");

            migrationBuilder.DropTable(
                name: "Datasets");

            migrationBuilder.DropTable(
                name: "Models");

            migrationBuilder.DropTable(
                name: "StoredFiles");
        }
    }
}
