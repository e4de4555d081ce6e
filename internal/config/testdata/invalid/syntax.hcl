account "prod" {
  id = "111111111111"
  region = "eu-west-1" "x" # ERROR: Missing newline after argument
}
