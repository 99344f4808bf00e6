import { InputType } from '@nestjs/graphql';
import { type ClusterLabelMatchInput, ClusterLabelsFilter, FilterTextList } from '@kcloud/common';

/** Which clusters and namespaces to export (lists are OR); the download applies the caller's scope on top. */
@InputType()
export class ExportFilterInput {
  @FilterTextList({ maxItems: 100 }) clusters?: string[];

  @FilterTextList({ maxItems: 100 }) namespaces?: string[];

  /** Becomes clusterLabel=name=value in the link; resolved when the file is downloaded. */
  @ClusterLabelsFilter() clusterLabels?: ClusterLabelMatchInput[];
}
