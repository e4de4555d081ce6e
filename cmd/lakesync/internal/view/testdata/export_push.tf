# bucket.lake: the statements lakesync owns in the bucket policy of konfir-datalake-raw, account 222222222222; lakesync writes them itself (policy = "managed").
data "aws_iam_policy_document" "lakesync_bucket_lake" {
  statement {
    sid       = "LakesyncProdToLakeDestList"
    effect    = "Allow"
    actions   = ["s3:ListBucket"]
    resources = ["arn:aws:s3:::konfir-datalake-raw"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::111111111111:role/lakesync-copier"]
    }
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["true"]
    }
    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = ["prod/*"]
    }
  }

  statement {
    sid       = "LakesyncProdToLakeDestUploads"
    effect    = "Allow"
    actions   = ["s3:ListBucketMultipartUploads"]
    resources = ["arn:aws:s3:::konfir-datalake-raw"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::111111111111:role/lakesync-copier"]
    }
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["true"]
    }
  }

  statement {
    sid       = "LakesyncProdToLakeDestWrite"
    effect    = "Allow"
    actions   = ["s3:GetObject", "s3:PutObject", "s3:PutObjectTagging", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"]
    resources = ["arn:aws:s3:::konfir-datalake-raw/prod/*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::111111111111:role/lakesync-copier"]
    }
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["true"]
    }
  }
}

# key.lake: the statements lakesync owns in the key policy of arn:aws:kms:eu-west-1:222222222222:key/1111aaaa-22bb-33cc-44dd-555555eeeeee, account 222222222222; lakesync writes them itself (policy = "managed").
data "aws_iam_policy_document" "lakesync_key_lake" {
  statement {
    sid       = "LakesyncProdToLakeDestKey"
    effect    = "Allow"
    actions   = ["kms:GenerateDataKey", "kms:Encrypt", "kms:Decrypt", "kms:DescribeKey"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::111111111111:role/lakesync-copier"]
    }
    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["s3.eu-west-1.amazonaws.com"]
    }
  }
}

# role.copier: the statements lakesync owns in the policies of role lakesync-copier, account 111111111111; lakesync writes them itself (policy = "managed").
data "aws_iam_policy_document" "lakesync_role_copier" {
  statement {
    sid       = "LakesyncProdToLakeSourceList"
    effect    = "Allow"
    actions   = ["s3:ListBucket"]
    resources = ["arn:aws:s3:::konfir-prod-data"]
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["true"]
    }
    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = ["exports/*"]
    }
  }

  statement {
    sid       = "LakesyncProdToLakeSourceRead"
    effect    = "Allow"
    actions   = ["s3:GetObject", "s3:GetObjectTagging"]
    resources = ["arn:aws:s3:::konfir-prod-data/exports/*"]
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["true"]
    }
  }

  statement {
    sid       = "LakesyncProdToLakeDestList"
    effect    = "Allow"
    actions   = ["s3:ListBucket"]
    resources = ["arn:aws:s3:::konfir-datalake-raw"]
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["true"]
    }
    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = ["prod/*"]
    }
  }

  statement {
    sid       = "LakesyncProdToLakeDestUploads"
    effect    = "Allow"
    actions   = ["s3:ListBucketMultipartUploads"]
    resources = ["arn:aws:s3:::konfir-datalake-raw"]
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["true"]
    }
  }

  statement {
    sid       = "LakesyncProdToLakeDestWrite"
    effect    = "Allow"
    actions   = ["s3:GetObject", "s3:PutObject", "s3:PutObjectTagging", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"]
    resources = ["arn:aws:s3:::konfir-datalake-raw/prod/*"]
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["true"]
    }
  }

  statement {
    sid       = "LakesyncProdToLakeDestKey"
    effect    = "Allow"
    actions   = ["kms:GenerateDataKey", "kms:Encrypt", "kms:Decrypt", "kms:DescribeKey"]
    resources = ["arn:aws:kms:eu-west-1:222222222222:key/1111aaaa-22bb-33cc-44dd-555555eeeeee"]
    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["s3.eu-west-1.amazonaws.com"]
    }
  }
}
